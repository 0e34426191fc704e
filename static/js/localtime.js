// Adds the viewer's own local time next to every deadline printed in a round's timezone.
document.querySelectorAll("time[data-localtime]").forEach((el) => {
  const when = new Date(el.getAttribute("datetime"));
  if (isNaN(when)) return;
  // Same shape as the server's dates ("20 December 2026, 00:00 CET"), in the viewer's zone.
  const local = when.toLocaleString("en-GB", {
    day: "numeric", month: "long", year: "numeric", hour: "2-digit", minute: "2-digit",
    hourCycle: "h23", timeZoneName: "short",
  }).replace(" at ", ", ");
  const span = document.createElement("span");
  span.className = "viewer-time";
  span.textContent = ` — your time: ${local}`;
  el.after(span);
});
document.addEventListener("submit", (event) => {
  const button = event.submitter;
  if (button && button.dataset.confirm && !window.confirm(button.dataset.confirm)) {
    event.preventDefault();
  }
});
