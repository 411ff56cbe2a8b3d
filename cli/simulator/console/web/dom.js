// @ts-check
/** Tiny DOM helpers for the console page (no framework). */

/**
 * An element by id, of the expected type; a missing one is a bug in index.html.
 * @template {HTMLElement} T
 * @param {string} id
 * @param {new () => T} type
 * @returns {T}
 */
export function byId(id, type) {
  const el = document.getElementById(id);
  if (!(el instanceof type)) throw new Error(`#${id} is missing or not a ${type.name}`);
  return el;
}

/**
 * Makes an element: `h('button', { class: 'primary' }, 'Insert')`.
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Record<string, string>} [attrs]
 * @param {...(Node | string)} children
 * @returns {HTMLElementTagNameMap[K]}
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  el.append(...children);
  return el;
}

/**
 * Appends `item` to a log list, keeping the newest `keep` items.
 * @param {HTMLElement} list
 * @param {HTMLElement} item
 * @param {number} keep
 */
export function appendCapped(list, item, keep) {
  list.append(item);
  while (list.children.length > keep) list.firstElementChild?.remove();
}

/**
 * `HH:MM:SS.mmm` of an epoch ms or ISO time.
 * @param {number | string} t
 */
export function clock(t) {
  const d = new Date(t);
  return `${d.toTimeString().slice(0, 8)}.${String(d.getMilliseconds()).padStart(3, '0')}`;
}
