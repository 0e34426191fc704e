// "Copy link" buttons next to public sign-on links. Without script the buttons stay hidden and
// the link itself is shown, to select and copy by hand.
function copyText(text) {
  if (navigator.clipboard && window.isSecureContext) {
    return navigator.clipboard.writeText(text);
  }
  // Plain http on another host has no Clipboard API: copy through a selected, off-screen field.
  const area = document.createElement("textarea");
  area.value = text;
  area.setAttribute("readonly", "");
  area.className = "visually-hidden";
  document.body.append(area);
  area.select();
  const done = document.execCommand("copy");
  area.remove();
  return done ? Promise.resolve() : Promise.reject(new Error("copy refused"));
}

document.querySelectorAll("button[data-copy]").forEach((button) => {
  const status = button.parentElement.querySelector(".copy-status");
  button.hidden = false;
  button.addEventListener("click", () => {
    copyText(button.dataset.copy).then(
      () => { if (status) status.textContent = document.body.dataset.msgLinkCopied || "Link copied."; },
      () => {
        if (status) {
          status.textContent = document.body.dataset.msgCopyFailed
            || "Could not copy: select the link and copy it.";
        }
      },
    );
  });
});
