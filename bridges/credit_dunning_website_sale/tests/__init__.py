from . import test_tours, test_webshop
