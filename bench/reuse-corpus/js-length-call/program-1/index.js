const names = ['ada', 'alan'];
console.log('count', names.length());
