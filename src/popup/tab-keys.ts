/**
 * The tab list's keyboard rules (WAI-ARIA tabs pattern, automatic activation): Left/Right move to the previous or
 * next tab and wrap around, Home and End go to the first and last. Any other key is not the tab list's.
 */
export function tabAfterKey<T>(tabs: readonly T[], current: T, key: string): T | undefined {
  const index = tabs.indexOf(current);
  if (index < 0 || tabs.length === 0) return undefined;
  switch (key) {
    case 'ArrowRight':
      return tabs[(index + 1) % tabs.length];
    case 'ArrowLeft':
      return tabs[(index - 1 + tabs.length) % tabs.length];
    case 'Home':
      return tabs[0];
    case 'End':
      return tabs[tabs.length - 1];
    default:
      return undefined;
  }
}
