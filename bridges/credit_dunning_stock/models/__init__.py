from . import res_partner, sale_order, stock_move, stock_picking
