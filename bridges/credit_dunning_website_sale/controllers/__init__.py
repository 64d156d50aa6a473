from . import cart, main, payment
