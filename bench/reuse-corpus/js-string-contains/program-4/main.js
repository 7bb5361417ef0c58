const url = 'https://example.org/docs?page=2';
if (url.contains('?')) {
  const query = url.split('?')[1];
  console.log(query);
}
