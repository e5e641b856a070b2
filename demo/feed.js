// Builds the feed from media/feed.json. Images are lazy-loaded, as on a real feed site.
const feed = document.getElementById('feed');
fetch('media/feed.json')
  .then((response) => response.json())
  .then((items) => {
    for (const item of items) {
      const figure = document.createElement('figure');
      figure.className = 'post';
      const media = document.createElement(item.kind === 'video' ? 'video' : 'img');
      media.src = `media/${item.file}`;
      if (item.kind === 'video') Object.assign(media, { muted: true, loop: true, autoplay: true, playsInline: true, controls: true });
      else Object.assign(media, { alt: item.source, loading: 'lazy' });
      const [width, height] = item.size.split('x').map(Number);
      Object.assign(media, { width, height });
      const caption = document.createElement('figcaption');
      const strong = document.createElement('strong');
      strong.textContent = item.label === 'fake' ? 'AI-decoded' : 'Real photo';
      caption.append(strong, ` · ${item.source.replace(/^AI-decoded: /, '')}`);
      figure.append(media, caption);
      feed.append(figure);
    }
    document.documentElement.dataset.feedReady = String(items.length);
  });
