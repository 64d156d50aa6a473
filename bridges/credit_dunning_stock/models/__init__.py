from . import res_partner, sale_order, stock_picking
