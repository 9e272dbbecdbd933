import type { Child } from "hono/jsx";

/** A wide table's sideways-scrolling box: a named region that takes keyboard focus, so it can be scrolled. */
export function Scroll(props: { label: string; children: Child }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be focusable to scroll by keyboard
    <div class="scroll" role="region" aria-label={props.label} tabindex={0}>
      {props.children}
    </div>
  );
}
