"""The LADO side: contacts, consultations, referrals, cases and meetings."""
