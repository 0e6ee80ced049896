"""Chrome only: the User-Agent decides; client hints may confirm but never override it."""
import pytest

from simulators.neovo.browser import CHROME_MESSAGE, hint_brands, is_chrome

pytestmark = pytest.mark.neovo

CHROME = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
          "Chrome/131.0.0.0 Safari/537.36")
HEADLESS = ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
            "HeadlessChrome/131.0.6778.33 Safari/537.36")
CHROMIUM = ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chromium/120.0.6099.224 "
            "Chrome/120.0.6099.224 Safari/537.36")
CHROME_IOS = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
              "CriOS/120.0.6099.119 Mobile/15E148 Safari/604.1")
EDGE = CHROME + " Edg/131.0.2903.51"
OPERA = CHROME + " OPR/114.0.0.0"
FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"
SAFARI = ("Mozilla/5.0 (Macintosh; Intel Mac OS X 14_1) AppleWebKit/605.1.15 (KHTML, like Gecko) "
          "Version/17.1 Safari/605.1.15")
SAMSUNG = ("Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/25.0 "
           "Chrome/121.0.0.0 Mobile Safari/537.36")
IE11 = "Mozilla/5.0 (Windows NT 10.0; Trident/7.0; rv:11.0) like Gecko"


@pytest.mark.parametrize("ua", [CHROME, HEADLESS, CHROMIUM, CHROME_IOS])
def test_chrome_chromium_and_headless_chrome_are_chrome(ua):
    assert is_chrome(ua)


@pytest.mark.parametrize("ua", [EDGE, OPERA, FIREFOX, SAFARI, SAMSUNG, IE11, "", None, "curl/8.5.0"])
def test_other_browsers_are_not_chrome(ua):
    assert not is_chrome(ua)


def test_client_hints_confirm_chrome():
    assert is_chrome(CHROME, '"Google Chrome";v="131", "Chromium";v="131", "Not_A Brand";v="24"')


@pytest.mark.parametrize("ua", [FIREFOX, SAFARI, EDGE])
def test_client_hints_never_turn_another_browser_into_chrome(ua):
    assert not is_chrome(ua, '"Google Chrome";v="131", "Chromium";v="131"')


def test_client_hints_naming_another_chromium_brand_are_not_chrome():
    assert not is_chrome(CHROME, '"Microsoft Edge";v="131", "Chromium";v="131", "Not_A Brand";v="24"')
    assert not is_chrome(CHROME, '"Opera";v="114", "Chromium";v="128"')


def test_hint_brands_parses_the_header():
    assert hint_brands('"Chromium";v="131", "Not_A Brand";v="24"') == ["Chromium", "Not_A Brand"]
    assert hint_brands(None) == []


def test_message_is_the_seeds_word_for_word():
    assert CHROME_MESSAGE == ("Attention, le navigateur CHROME est un prérequis pour l'utilisation de ce "
                              "portail de déclaration SPOTICAR.")
