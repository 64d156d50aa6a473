from . import pos_order, res_partner, stock_picking
