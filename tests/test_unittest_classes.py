"""unittest.TestCase classes decorated with the mock: seeds per class, subclasses, setUpClass."""

from __future__ import annotations

import unittest

import customer_profiles_mock
from customer_profiles_mock import mock_customer_profiles


def test_testcase_subclass_runs_its_own_setupclass_with_its_own_seed():
    cp = mock_customer_profiles()

    @cp
    class Parent(unittest.TestCase):
        @classmethod
        def setUpClass(cls):
            cp.create_domain("parent")

        def test_domains(self):
            assert cp.domains() == self.expected

        expected = ["parent"]

    class Child(Parent):
        @classmethod
        def setUpClass(cls):
            cp.create_domain("child")

        expected = ["child"]

    class Inheriting(Parent):
        expected = ["parent"]

    result = unittest.TestResult()
    for case in (Parent, Child, Inheriting):
        unittest.defaultTestLoader.loadTestsFromTestCase(case).run(result)
    assert result.wasSuccessful(), result.failures + result.errors
    assert result.testsRun == 3


def test_testcase_inherited_setupclass_runs_for_the_subclass():
    cp = mock_customer_profiles()
    ran_for: list[str] = []

    @cp
    class Parent(unittest.TestCase):
        @classmethod
        def setUpClass(cls):
            ran_for.append(cls.__name__)
            cp.create_domain(cls.__name__.lower())

        def test_domains(self):
            assert cp.domains() == [type(self).__name__.lower()]

    class Sub(Parent):
        pass

    result = unittest.TestResult()
    for case in (Parent, Sub):
        unittest.defaultTestLoader.loadTestsFromTestCase(case).run(result)
    assert result.wasSuccessful(), result.failures + result.errors
    assert ran_for == ["Parent", "Sub"]


def test_testcase_subclass_tests_and_setup_run_inside_the_mock():
    cp = mock_customer_profiles()
    seen: list[bool] = []

    @cp
    class Parent(unittest.TestCase):
        def test_parent(self):
            seen.append(customer_profiles_mock.is_active())

    class Child(Parent):
        def setUp(self):  # does not call super().setUp()
            seen.append(customer_profiles_mock.is_active())

        def test_child_fails(self):
            cp.throttle("GetDomain", times=1)  # unused: the test's failure is what is shown
            raise AssertionError("the test's own failure")

    result = unittest.TestResult()
    unittest.defaultTestLoader.loadTestsFromTestCase(Child).run(result)
    assert seen == [True, True, True]  # setUp of each test, then test_parent
    (failure,) = [text for _, text in result.failures]
    assert "AssertionError: the test's own failure" in failure
    assert "UnusedFaultsError" not in result.failures[0][1]
    assert result.errors == []
    assert not customer_profiles_mock.is_active()


def test_faults_registered_in_setupclass_are_refused():
    cp = mock_customer_profiles()

    @cp
    class Case(unittest.TestCase):
        @classmethod
        def setUpClass(cls):
            cp.throttle("GetDomain", times=1)

        def test_nothing(self):
            pass

    result = unittest.TestResult()
    unittest.defaultTestLoader.loadTestsFromTestCase(Case).run(result)
    (error,) = [text for _, text in result.errors]
    assert (
        "MockStateError: customer_profiles_mock: faults registered in setUpClass end with it, "
        "before any test runs. Register them in setUp or in the test."
    ) in error
