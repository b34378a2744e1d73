"""Who is active: activations, the handle serving each thread or task, and the patches in force."""
