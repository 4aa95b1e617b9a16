/**
 * Chart colours from the stylesheet's CSS variables (light and dark themes), re-read when the
 * colour scheme changes. `themeVersion` bumps on every change so charts can re-render.
 */
import { ref } from 'vue';

export interface ChartColors {
  fg: string;
  muted: string;
  bg: string;
  grid: string;
  accent: string;
  bound: string;
  danger: string;
  ok: string;
  cursor: string;
  dark: boolean;
  series: string[];
}

function cssVar(name: string, fallback: string): string {
  if (typeof document === 'undefined') return fallback;
  const v = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return v || fallback;
}

function isDark(): boolean {
  if (typeof window === 'undefined') return false;
  const attr = document.documentElement.dataset.theme;
  if (attr === 'dark') return true;
  if (attr === 'light') return false;
  return window.matchMedia?.('(prefers-color-scheme: dark)').matches ?? false;
}

export function chartColors(): ChartColors {
  const dark = isDark();
  return {
    dark,
    fg: cssVar('--fg', dark ? '#e6e6e6' : '#1d1f23'),
    muted: cssVar('--fg-muted', dark ? '#9aa0a6' : '#5f6368'),
    bg: cssVar('--bg-panel', dark ? '#16181c' : '#ffffff'),
    grid: cssVar('--border', dark ? '#33363c' : '#e1e3e6'),
    accent: cssVar('--accent', dark ? '#6ab0ff' : '#1a66cc'),
    bound: cssVar('--danger', dark ? '#ff6b6b' : '#d11a2a'),
    danger: cssVar('--danger', dark ? '#ff6b6b' : '#d11a2a'),
    ok: cssVar('--ok', dark ? '#5fd38d' : '#1e8e3e'),
    cursor: cssVar('--warn', dark ? '#ffd166' : '#e37400'),
    series: dark
      ? ['#6ab0ff', '#5fd38d', '#c792ea', '#ffcb6b', '#89ddff', '#f78c6c', '#c3e88d', '#ff9cac']
      : ['#1a66cc', '#1e8e3e', '#8e24aa', '#b06000', '#0097a7', '#c2185b', '#558b2f', '#5d4037'],
  };
}

export const themeVersion = ref(0);

let watching = false;
export function watchTheme(): void {
  if (watching || typeof window === 'undefined') return;
  watching = true;
  window
    .matchMedia?.('(prefers-color-scheme: dark)')
    .addEventListener('change', () => themeVersion.value++);
  new MutationObserver(() => themeVersion.value++).observe(document.documentElement, {
    attributes: true,
    attributeFilter: ['data-theme', 'class', 'style'],
  });
}
