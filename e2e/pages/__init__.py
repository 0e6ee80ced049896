"""Page objects: one class per screen, locators as attributes, methods named after user actions."""
