// Progressive enhancement only: every page works without this file.
import { initAll } from "./govuk-frontend.min.js";

initAll();

// A print page's "Print this page" button: shown only when it can work (without JavaScript the page says to use
// the browser's print command).
for (const wrapper of document.querySelectorAll("[data-app-print]")) {
  wrapper.hidden = false;
  wrapper.querySelector("button")?.addEventListener("click", () => window.print());
}
