DELETE FROM core.bridge_paragraph_theme WHERE session = $session;
DELETE FROM core.bridge_paragraph_actor WHERE session = $session;
DELETE FROM core.bridge_resolution_actor WHERE session = $session;
DELETE FROM core.bridge_paragraph_instrument WHERE session = $session;
DELETE FROM marts.mandates WHERE session = $session;
