// The pages' behaviour: GOV.UK Frontend's components, then the few things of our own. Every page
// works without it; this only adds what a script can (focus, folding menus, scroll cues).
import { initAll } from "../govuk-frontend/govuk-frontend.min.js";

initAll();

// A box that scrolls sideways says so: a line of text above it and a shadow on the side where
// more is hidden, kept in step as the reader scrolls and as the window changes size.
function followScroll(box) {
  const viewport = box.querySelector(".scroll-box__viewport");
  if (!viewport) return;
  const update = () => {
    const hidden = viewport.scrollWidth - viewport.clientWidth;
    const scrolled = Math.abs(viewport.scrollLeft);
    box.classList.toggle("is-scrollable", hidden > 1);
    box.classList.toggle("has-more-before", hidden > 1 && scrolled > 1);
    box.classList.toggle("has-more-after", hidden > 1 && scrolled < hidden - 1);
  };
  viewport.addEventListener("scroll", update, { passive: true });
  new ResizeObserver(update).observe(viewport);
  update();
}

document.querySelectorAll(".scroll-box").forEach(followScroll);
