import type { Child } from "hono/jsx";

/** A wide table's sideways-scrolling box: a named region that takes keyboard focus, so it can be scrolled. */
export function Scroll(props: { label: string; children: Child }) {
  return (
    <section class="scroll" aria-label={props.label} tabindex={0}>
      {props.children}
    </section>
  );
}
