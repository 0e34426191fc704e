// "Select all on this page" for the sign-on queue: a header checkbox that ticks every row's
// checkbox of the form it names. Without script it stays hidden; the "Approve all … on this page"
// button does the same job server-side.
document.querySelectorAll("input[data-select-all]").forEach((master) => {
  const boxes = () =>
    document.querySelectorAll(`input[type=checkbox][form="${master.dataset.selectAll}"]`);
  if (boxes().length === 0) return;
  master.hidden = false;
  master.addEventListener("change", () => {
    boxes().forEach((box) => { box.checked = master.checked; });
  });
  boxes().forEach((box) => box.addEventListener("change", () => {
    const all = Array.from(boxes());
    master.checked = all.every((b) => b.checked);
    master.indeterminate = !master.checked && all.some((b) => b.checked);
  }));
});
