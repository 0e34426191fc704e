// The viewer's own time beside a time printed in another zone (the round's, or UTC), when the
// viewer set no timezone on their profile (the server adds it otherwise): see template_helpers.when.
{
  const OPTIONS = {
    day: "numeric", month: "long", year: "numeric", hour: "2-digit", minute: "2-digit",
    hourCycle: "h23", timeZoneName: "short",
  };
  // Same shape as the server's dates ("20 December 2026, 00:00 CET").
  // English pages keep the day-first British shape; the others their own (templates/base.html).
  const lang = document.documentElement.lang || "en";
  const locale = lang === "en" ? "en-GB" : lang;
  const yourTime = document.body.dataset.msgYourTime || "your time: {time}";
  const shape = (when, timeZone) =>
    when.toLocaleString(locale, { ...OPTIONS, timeZone }).replace(" at ", ", ");
  document.querySelectorAll("time[data-localtime]").forEach((el) => {
    const when = new Date(el.getAttribute("datetime"));
    if (isNaN(when)) return;
    const local = shape(when);
    let shown = null;
    try {
      shown = shape(when, el.dataset.localtime || "UTC");
    } catch (e) {
      // An unknown zone name: show the viewer's time anyway.
    }
    if (local === shown) return; // the viewer is in the printed zone: nothing to add
    const span = document.createElement("span");
    span.className = "viewer-time";
    span.textContent = ` — ${yourTime.replace("{time}", local)}`;
    el.after(span);
  });
}
document.addEventListener("submit", (event) => {
  const button = event.submitter;
  if (button && button.dataset.confirm && !window.confirm(button.dataset.confirm)) {
    event.preventDefault();
  }
});
