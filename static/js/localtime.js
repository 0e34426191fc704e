// Adds the viewer's own local time next to every deadline printed in a round's timezone.
document.querySelectorAll("time[data-localtime]").forEach((el) => {
  const when = new Date(el.getAttribute("datetime"));
  if (isNaN(when)) return;
  const local = when.toLocaleString(undefined, {
    day: "numeric", month: "long", year: "numeric", hour: "2-digit", minute: "2-digit",
    timeZoneName: "short",
  });
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
