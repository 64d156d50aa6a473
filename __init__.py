from . import controllers, credit_control, dunning_levels, wizards
