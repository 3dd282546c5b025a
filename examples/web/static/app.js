// The only script: the "Copy" button for backup codes (no inline scripts: CSP).
document.addEventListener("click", (event) => {
  const button = event.target instanceof Element ? event.target.closest("[data-copy-text]") : null;
  if (!button || !navigator.clipboard) return;
  navigator.clipboard.writeText(button.getAttribute("data-copy-text") || "").then(() => {
    button.textContent = "Copied";
  });
});
