require('./program');
