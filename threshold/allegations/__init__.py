"""The employer's management of allegations: the case manager's steps, suspension, outcome and records."""
