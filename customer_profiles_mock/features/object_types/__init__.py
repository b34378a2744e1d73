"""Object types: definitions, their rules, templates and the Handlebars mapping."""
