from . import test_pos_credit, test_tours
