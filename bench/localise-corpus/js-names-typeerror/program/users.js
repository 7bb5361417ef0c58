function names(users) {
  return users.map((u) => u.nmae.toUpperCase());
}

function adults(users) {
  return users.filter((u) => u.age >= 18);
}

module.exports = { names, adults };
