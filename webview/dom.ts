// A tiny element builder that only ever sets text: nothing here parses HTML, so a process named
// `<img src=x onerror=alert(1)>` stays a string on the screen.

import { splitTemplate } from '../shared/i18n/catalogue';

type Child = Node | string | null | undefined | false;

export interface ElementProps {
  className?: string;
  text?: string;
  title?: string;
  attrs?: Record<string, string>;
}

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: ElementProps = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (props.className) element.className = props.className;
  if (props.text !== undefined) element.textContent = props.text;
  if (props.title !== undefined) element.title = props.title;
  for (const [name, value] of Object.entries(props.attrs ?? {})) element.setAttribute(name, value);
  for (const child of children) if (child) element.append(child);
  return element;
}

export function button(text: string, onClick: () => void, props: ElementProps = {}): HTMLButtonElement {
  const element = el('button', { ...props, text });
  element.type = 'button';
  element.addEventListener('click', onClick);
  return element;
}

/**
 * A translated sentence with controls in it ("Top {count} by {metric}"): its text as text nodes
 * and each `{name}` replaced by `slots[name]`, so each language keeps its own word order.
 */
export function fill(template: string, slots: Record<string, Node>): Node[] {
  return splitTemplate(template).map((part) =>
    typeof part === 'string'
      ? document.createTextNode(part)
      : (slots[part.name] ?? document.createTextNode('')),
  );
}
