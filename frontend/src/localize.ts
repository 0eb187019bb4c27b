// The cards' and the panel's own words, per language of Home Assistant's user.
// A language missing here, or a key missing in it, falls back to English.

const en = {
  sim_card_name: "Dinstar SIM status",
  sim_card_description: "Every SIM port of a Dinstar gateway at a glance.",
  conversations_card_name: "Dinstar conversations",
  conversations_card_description: "SMS conversations of Dinstar gateways, with reply.",
  gateway: "Gateway",
  all_gateways: "All gateways",
  no_gateway: "No Dinstar gateway is set up.",
  choose_gateway: "Choose the gateway in the card's settings.",
  port: "Port {port}",
  signal_bars: "Signal {bars} of 4 bars",
  no_number: "No number",
  last_sms: "Last SMS",
  none: "none",
  queue: "Send queue: {count}",
  push_works: "Push works",
  push_off: "No push: checked every 10 s",
  pin_needed: "SIM needs its PIN",
  open_device: "Open the device of port {port}",
  title: "SMS",
  conversations: "Conversations",
  no_conversations: "No messages yet.",
  unread: "{count} unread",
  new_message: "New message",
  back: "Back to the conversations",
  to: "To",
  number_placeholder: "+4917012345678",
  message: "Message",
  send: "Send",
  send_from: "Send from",
  any_port: "Any port",
  older: "Show older messages",
  status_sending: "Sending",
  status_sent: "Sent",
  status_delivered: "Delivered",
  status_failed: "Failed",
  status_expired: "No report",
  received: "Received",
  via_port: "port {port}",
};

type Strings = typeof en;

const de: Partial<Strings> = {
  sim_card_name: "Dinstar-SIM-Status",
  sim_card_description: "Alle SIM-Ports eines Dinstar-Gateways auf einen Blick.",
  conversations_card_name: "Dinstar-Unterhaltungen",
  conversations_card_description: "SMS-Unterhaltungen der Dinstar-Gateways, mit Antworten.",
  gateway: "Gateway",
  all_gateways: "Alle Gateways",
  no_gateway: "Es ist kein Dinstar-Gateway eingerichtet.",
  choose_gateway: "Wähle das Gateway in den Einstellungen der Karte.",
  port: "Port {port}",
  signal_bars: "Signal {bars} von 4 Balken",
  no_number: "Keine Nummer",
  last_sms: "Letzte SMS",
  none: "keine",
  queue: "Sendewarteschlange: {count}",
  push_works: "Push aktiv",
  push_off: "Kein Push: Abfrage alle 10 s",
  pin_needed: "SIM wartet auf ihre PIN",
  open_device: "Gerät von Port {port} öffnen",
  title: "SMS",
  conversations: "Unterhaltungen",
  no_conversations: "Noch keine Nachrichten.",
  unread: "{count} ungelesen",
  new_message: "Neue Nachricht",
  back: "Zurück zu den Unterhaltungen",
  to: "An",
  message: "Nachricht",
  send: "Senden",
  send_from: "Senden über",
  any_port: "Beliebiger Port",
  older: "Ältere Nachrichten zeigen",
  status_sending: "Wird gesendet",
  status_sent: "Gesendet",
  status_delivered: "Zugestellt",
  status_failed: "Fehlgeschlagen",
  status_expired: "Kein Bericht",
  received: "Empfangen",
  via_port: "Port {port}",
};

const languages: Record<string, Partial<Strings>> = { en, de };

export type StringKey = keyof Strings;

export const localize = (
  language: string | undefined,
  key: StringKey,
  placeholders: Record<string, string | number> = {},
): string => {
  const base = (language ?? "en").split("-")[0];
  const text =
    languages[language ?? "en"]?.[key] ?? languages[base]?.[key] ?? en[key];
  return text.replace(/\{(\w+)\}/g, (_, name: string) =>
    String(placeholders[name] ?? `{${name}}`),
  );
};
