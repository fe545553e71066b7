"""The harness, builders and the people of a scenario, shared by every test folder."""
