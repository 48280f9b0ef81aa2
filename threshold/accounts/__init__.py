"""Users, organisations, memberships and roles, sign-in and MFA."""
