from . import account_move, credit_dunning_communication, res_partner
