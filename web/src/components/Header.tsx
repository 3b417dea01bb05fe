import { navigate, useRoute } from '../lib/router';
import type { Theme } from '../lib/theme';
import { SearchBox } from './SearchBox';
import { IndexStatusIndicator } from './IndexStatusIndicator';
import { Icon } from './Icon';
import { SignOutButton } from './SignIn';

export function Header({ theme, onToggleTheme }: { theme: Theme; onToggleTheme: () => void }) {
  const route = useRoute();
  return (
    <header className="header">
      <a className="brand" href="/" onClick={(e) => { e.preventDefault(); navigate({ name: 'home' }); }}>
        <img src="/favicon.svg" alt="" width={22} height={22} /> Neptune
      </a>
      <SearchBox />
      <nav className="header-nav" aria-label="Views">
        <IndexStatusIndicator />
        <button type="button" aria-current={route.name === 'graph' ? 'page' : undefined} onClick={() => { navigate({ name: 'graph' }); }}>Graph</button>
        <button type="button" aria-current={route.name === 'trash' ? 'page' : undefined} onClick={() => { navigate({ name: 'trash' }); }}>Trash</button>
        <button type="button" className="icon" onClick={onToggleTheme}
          aria-label={theme === 'dark' ? 'Switch to light theme' : 'Switch to dark theme'} title="Toggle theme">
          <Icon name={theme === 'dark' ? 'sun' : 'moon'} />
        </button>
        <SignOutButton />
      </nav>
    </header>
  );
}
