"""The configured dealers of a real deployment (``--config FILE``, read by ``common.onboarding``) made
into the centralisateur's dealers and logins."""
from __future__ import annotations

from sqlalchemy import select

from common.onboarding import OnboardingConfig, apply_to_config  # noqa: F401  (the app reads both here)


def sync_dealers(db, config: OnboardingConfig) -> None:
    """Create or update the configured dealers and their login (the Profil chosen stays the dealer's)."""
    from centralisateur.store import Dealer, DealerUser
    with db.transaction() as s:
        for d in config.dealers:
            dealer = s.get(Dealer, d.rrdi) or Dealer(rrdi=d.rrdi, profile_configured=False)
            for name in ("name", "address", "postcode", "city", "phone", "email", "code_t", "cirano_id",
                         "dms", "configuration"):
                setattr(dealer, name, getattr(d, name))
            s.add(dealer)
            s.flush()
            user = s.scalar(select(DealerUser).where(DealerUser.dealer_rrdi == d.rrdi))
            if user is None:
                s.add(DealerUser(email=d.login.lower(), password_hash=d.password_hash, dealer_rrdi=d.rrdi))
            else:
                user.email, user.password_hash = d.login.lower(), d.password_hash
