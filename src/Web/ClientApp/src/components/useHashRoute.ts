import { useEffect, useState } from 'preact/hooks';

export interface Route {
  section: string;
  id: string | null;
}

/** "#/chat/{id}" → { section: 'chat', id }. Hash routing keeps every URL served by one static page. */
export function parseRoute(hash: string): Route {
  const [section = '', id = null] = hash.replace(/^#\/?/, '').split('/');
  return { section, id: id || null };
}

export function useHashRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const update = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []);
  return route;
}
