from . import test_stock_picking, test_tours
