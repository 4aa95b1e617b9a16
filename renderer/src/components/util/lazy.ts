/**
 * Views loaded on first use (issue 12 item 14): each view and what only it imports (ECharts for
 * the Run and Compare views, the Markdown editor for Notes) becomes its own chunk, so the first
 * paint does not wait for a 1 MB bundle. While a chunk loads, the page says what it is loading.
 */
import { defineAsyncComponent, h, type Component } from 'vue';

export function lazyView(loader: () => Promise<Component | { default: Component }>, what: string) {
  return defineAsyncComponent({
    loader: loader as () => Promise<Component>,
    delay: 150,
    loadingComponent: {
      render: () => h('div', { class: 'faint view-loading' }, `Loading ${what}…`),
    },
  });
}
