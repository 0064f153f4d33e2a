// The operator console: calls the gateway's operator endpoints with the pasted token. The token is
// kept in this page's memory only (never stored), and everything the services answer is written
// as text, never as HTML.
"use strict";

let token = null;

function $(id) {
  return document.getElementById(id);
}

function setStatus(id, text, level) {
  const element = $(id);
  element.textContent = text;
  element.className = "status" + (level ? " " + level : "");
}

function cell(row, text, className) {
  const td = document.createElement("td");
  td.textContent = text === null || text === undefined ? "" : String(text);
  if (className) {
    td.className = className;
  }
  row.appendChild(td);
  return td;
}

function clearRows(tableId) {
  const body = $(tableId).querySelector("tbody");
  body.replaceChildren();
  return body;
}

async function call(method, path, body) {
  if (!token) {
    throw new Error("Paste an operator token first");
  }
  const options = { method, headers: { Authorization: "Bearer " + token, Accept: "application/json" } };
  if (body !== undefined) {
    options.headers["Content-Type"] = "application/json";
    options.body = JSON.stringify(body);
  }
  const response = await fetch(path, options);
  let answer = null;
  const text = await response.text();
  if (text) {
    try {
      answer = JSON.parse(text);
    } catch (e) {
      answer = null;
    }
  }
  if (!response.ok) {
    const detail = answer && (answer.detail || answer.title);
    throw new Error("HTTP " + response.status + (detail ? ": " + detail : ""));
  }
  return answer;
}

function unavailableNote(answer) {
  const missing = (answer && answer.unavailable) || [];
  return missing.length ? " Not answering: " + missing.join(", ") + "." : "";
}

async function searchTimeline(event) {
  event.preventDefault();
  const q = $("timeline-q").value.trim();
  const rows = clearRows("timeline-steps");
  setStatus("timeline-status", "Searching " + q + "…");
  try {
    const answer = await call("GET", "/operations/timeline?q=" + encodeURIComponent(q));
    for (const step of answer.steps) {
      const row = document.createElement("tr");
      if (["dead-lettered", "quarantined", "delivery-rejected", "notification-failed"].includes(step.kind)) {
        row.className = "failed";
      }
      cell(row, step.at, "at");
      cell(row, step.service);
      cell(row, step.kind, "kind");
      cell(row, step.summary);
      rows.appendChild(row);
    }
    const note = unavailableNote(answer);
    setStatus(
      "timeline-status",
      answer.steps.length + " steps for " + answer.query + "." + note,
      note ? "warning" : null);
  } catch (e) {
    setStatus("timeline-status", e.message, "error");
  }
}

async function refreshRelays() {
  const rows = clearRows("relays");
  try {
    const answer = await call("GET", "/operations/relays");
    for (const relay of answer.relays) {
      const row = document.createElement("tr");
      if (relay.state !== "publishing" && relay.state !== "standby") {
        row.className = "failed";
      }
      cell(row, relay.service);
      cell(row, relay.leader ? "yes" : "no");
      cell(row, relay.state, "kind");
      cell(row, relay.lagMs === null ? "unknown" : relay.lagMs);
      cell(row, relay.backlog === null ? "unknown" : relay.backlog);
      rows.appendChild(row);
    }
    const note = unavailableNote(answer);
    setStatus("relays-status", answer.relays.length + " relays." + note, note ? "warning" : null);
  } catch (e) {
    setStatus("relays-status", e.message, "error");
  }
}

function checkbox(row, value, service) {
  const td = document.createElement("td");
  const box = document.createElement("input");
  box.type = "checkbox";
  box.value = value;
  if (service) {
    box.dataset.service = service;
  }
  td.appendChild(box);
  row.appendChild(td);
}

async function refreshDeadLetters() {
  const rows = clearRows("dead-letters");
  try {
    const answer = await call("GET", "/operations/dead-letters?limit=50");
    for (const item of answer.deadLetters) {
      const row = document.createElement("tr");
      checkbox(row, item.id, item.service);
      cell(row, item.service);
      cell(row, item.originalTopic || item.topic);
      cell(row, item.eventType);
      cell(row, item.eventId);
      cell(row, item.error);
      cell(row, item.at, "at");
      rows.appendChild(row);
    }
    const note = unavailableNote(answer);
    setStatus("dead-letters-status", answer.deadLetters.length + " dead letters." + note, note ? "warning" : null);
  } catch (e) {
    setStatus("dead-letters-status", "Dead letters not available: " + e.message, "error");
  }
}

async function replayDeadLetters() {
  const chosen = [...$("dead-letters").querySelectorAll("input[type=checkbox]:checked")];
  if (!chosen.length) {
    setStatus("dead-letters-status", "Select the dead letters to replay first", "warning");
    return;
  }
  const byService = new Map();
  for (const box of chosen) {
    const ids = byService.get(box.dataset.service) || [];
    ids.push(box.value);
    byService.set(box.dataset.service, ids);
  }
  try {
    let replayed = 0;
    for (const [service, ids] of byService) {
      const answer = await call("POST", "/operations/dead-letters/replays", { service, ids });
      replayed += answer.replayed;
    }
    // The list as it is now, then what the replay did (the refresh would overwrite it).
    await refreshDeadLetters();
    setStatus("dead-letters-status", "Replayed " + replayed + " (audited).");
    refreshAudit();
  } catch (e) {
    setStatus("dead-letters-status", "Replay failed: " + e.message, "error");
  }
}

async function refreshQuarantine() {
  const rows = clearRows("quarantine");
  try {
    // webhook-ingest-service's answer as it gives it: the unreleased events, newest first.
    const items = await call("GET", "/operations/quarantine?limit=50");
    for (const item of items) {
      const row = document.createElement("tr");
      checkbox(row, item.id);
      cell(row, item.id);
      cell(row, item.reason);
      cell(row, item.eventId);
      cell(row, item.detail);
      cell(row, item.createdAt, "at");
      cell(row, item.releasedAt ? item.releasedAt + " by " + item.releasedBy : "");
      rows.appendChild(row);
    }
    setStatus("quarantine-status", items.length + " quarantined events.");
  } catch (e) {
    setStatus("quarantine-status", "Quarantine not available: " + e.message, "error");
  }
}

async function replayQuarantine() {
  const ids = [...$("quarantine").querySelectorAll("input[type=checkbox]:checked")].map((box) => box.value);
  if (!ids.length) {
    setStatus("quarantine-status", "Select the quarantined events to replay first", "warning");
    return;
  }
  try {
    const answer = await call("POST", "/operations/quarantine/replays", { ids: ids.map(Number) });
    await refreshQuarantine();
    setStatus("quarantine-status", "Replayed " + answer.replayed + " (audited).");
    refreshAudit();
  } catch (e) {
    setStatus("quarantine-status", "Replay failed: " + e.message, "error");
  }
}

async function refreshAudit(event) {
  if (event) {
    event.preventDefault();
  }
  const rows = clearRows("audit");
  const action = $("audit-action").value.trim();
  try {
    const answer = await call(
      "GET", "/operations/audit?limit=50" + (action ? "&action=" + encodeURIComponent(action) : ""));
    for (const entry of answer.entries) {
      const row = document.createElement("tr");
      cell(row, entry.at, "at");
      cell(row, entry.service);
      cell(row, entry.action, "kind");
      cell(row, entry.actor);
      cell(row, entry.target);
      cell(row, entry.requestId);
      rows.appendChild(row);
    }
    const note = unavailableNote(answer);
    setStatus("audit-status", answer.entries.length + " audit entries." + note, note ? "warning" : null);
  } catch (e) {
    setStatus("audit-status", "Audit log not available: " + e.message, "error");
  }
}

async function refreshRejections() {
  const rows = clearRows("rejections");
  try {
    const answer = await call("GET", "/operations/rejections?limit=50");
    for (const rejection of answer.rejections) {
      const row = document.createElement("tr");
      cell(row, rejection.at, "at");
      cell(row, rejection.status);
      cell(row, rejection.reason);
      cell(row, rejection.requestId);
      rows.appendChild(row);
    }
    const note = unavailableNote(answer);
    setStatus("rejections-status", answer.rejections.length + " recent rejections." + note, note ? "warning" : null);
  } catch (e) {
    setStatus("rejections-status", "Rejections not available: " + e.message, "error");
  }
}

function refreshAll() {
  refreshRelays();
  refreshDeadLetters();
  refreshQuarantine();
  refreshRejections();
  refreshAudit();
}

document.addEventListener("DOMContentLoaded", () => {
  $("token-form").addEventListener("submit", (event) => {
    event.preventDefault();
    token = $("token").value.trim() || null;
    $("token").value = "";
    setStatus("token-status", token ? "token set (kept in this page only)" : "no token");
    if (token) {
      refreshAll();
    }
  });
  $("timeline-form").addEventListener("submit", searchTimeline);
  $("relays-refresh").addEventListener("click", refreshRelays);
  $("dead-letters-refresh").addEventListener("click", refreshDeadLetters);
  $("dead-letters-replay").addEventListener("click", replayDeadLetters);
  $("quarantine-refresh").addEventListener("click", refreshQuarantine);
  $("quarantine-replay").addEventListener("click", replayQuarantine);
  $("rejections-refresh").addEventListener("click", refreshRejections);
  $("audit-form").addEventListener("submit", refreshAudit);
});
