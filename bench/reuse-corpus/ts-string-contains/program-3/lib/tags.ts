type Tagged = { title: string; tags: string };

function hasTag(item: Tagged, tag: string): boolean {
  const normalised = item.tags.toLowerCase();
  if (normalised.contains(tag.toLowerCase())) {
    return true;
  }
  return false;
}

const post: Tagged = { title: 'Hello', tags: 'News,Tech' };
console.log(hasTag(post, 'tech'));
