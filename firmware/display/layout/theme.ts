/**
 * Colour themes and accessibility options: the default theme, high contrast (black, white and
 * yellow, WCAG AAA contrast), and large text (a scale applied to every preferred font size).
 */
export interface Accessibility {
  readonly largeText: boolean;
  readonly highContrast: boolean;
}

export interface Theme {
  readonly name: 'standard' | 'high-contrast';
  readonly textScale: number;
  readonly background: string;
  readonly text: string;
  readonly muted: string;
  readonly accent: string;
  readonly warning: string;
  readonly error: string;
  readonly primary: string;
  readonly primaryText: string;
  readonly secondary: string;
  readonly secondaryText: string;
  readonly danger: string;
  readonly dangerText: string;
  readonly key: string;
  readonly keyText: string;
  readonly keyStroke: string;
  readonly panel: string;
}

const STANDARD: Theme = {
  name: 'standard',
  textScale: 1,
  background: '#F4F7FB',
  text: '#14202E',
  muted: '#4A5668',
  accent: '#1565C0',
  warning: '#B45F06',
  error: '#B3261E',
  primary: '#0B6E4F',
  primaryText: '#FFFFFF',
  secondary: '#DCE4EE',
  secondaryText: '#14202E',
  danger: '#B3261E',
  dangerText: '#FFFFFF',
  key: '#FFFFFF',
  keyText: '#14202E',
  keyStroke: '#9AA8BA',
  panel: '#FFFFFF',
};

const HIGH_CONTRAST: Theme = {
  name: 'high-contrast',
  textScale: 1,
  background: '#000000',
  text: '#FFFFFF',
  muted: '#FFFFFF',
  accent: '#FFD400',
  warning: '#FFD400',
  error: '#FF6B6B',
  primary: '#FFD400',
  primaryText: '#000000',
  secondary: '#FFFFFF',
  secondaryText: '#000000',
  danger: '#FF6B6B',
  dangerText: '#000000',
  key: '#000000',
  keyText: '#FFFFFF',
  keyStroke: '#FFFFFF',
  panel: '#000000',
};

export const DEFAULT_ACCESSIBILITY: Accessibility = { largeText: false, highContrast: false };

export function themeFor(a11y: Accessibility): Theme {
  const base = a11y.highContrast ? HIGH_CONTRAST : STANDARD;
  return a11y.largeText ? { ...base, textScale: 1.25 } : base;
}
