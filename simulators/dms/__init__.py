"""The DMS toolkit: what every DMS simulator (Bee2link, NeoVO, PVO2, Tec3H) uses to hand a sale off
to the centralisateur and hear back from it, on top of the ``spoticar_handoff`` SDK.

- ``keys``: the DMS's API key (configuration, else the demo key in demo mode);
- ``handoff``: the SDK client aimed at ``URLS["centralisateur"]``, sending, polling, applying a state
  (a late, stale state never undoes a declaration), payload pieces shared by the DMS;
- ``callback``: the signed callback endpoint (signature, freshness, replays remembered in the DMS's
  own database);
- ``events``: server-sent events pushing a declaration's new state to the page following it;
- ``store``: column mixins; ``sites``: the site a user works on.
"""
