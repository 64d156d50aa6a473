from . import test_webshop, test_tours
