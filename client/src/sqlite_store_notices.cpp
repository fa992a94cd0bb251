// The SQLite Store, bookkeeping: notifications sent, webhook events seen, and the meta table.

#include <cstdint>
#include <string>
#include <vector>

#include "sqlite_store_impl.h"

namespace mxclient::sqlite {
namespace {

constexpr const char* kNotificationColumns =
    "dedupe_key, member_guid, app_user_id, kind, message, sent_at_ms";

NotificationRecord read_notification(const Statement& s) {
  NotificationRecord n;
  n.dedupe_key = s.text(0);
  n.member_guid = s.optional_text(1).value_or("");
  n.app_user_id = s.optional_text(2).value_or("");
  n.kind = s.text(3);
  n.message = s.text(4);
  n.sent_at = from_unix_ms(s.integer(5));
  return n;
}

constexpr const char* kWebhookColumns = "event_id, type, member_guid, payload, received_at_ms";

WebhookEventRecord read_webhook(const Statement& s) {
  WebhookEventRecord e;
  e.event_id = s.text(0);
  e.type = s.text(1);
  e.member_guid = s.optional_text(2).value_or("");
  e.payload = s.text(3);
  e.received_at = from_unix_ms(s.integer(4));
  return e;
}

std::optional<std::string> null_if_empty(const std::string& s) {
  if (s.empty()) return std::nullopt;
  return s;
}
}  // namespace

// --- notifications ----------------------------------------------------------------------------

Result<bool> SqliteStore::insert_notification_if_absent(const NotificationRecord& n) {
  Lock lock(mutex_);
  auto s = Statement::prepare(db_,
                              "INSERT INTO notifications (dedupe_key, member_guid, app_user_id, "
                              "kind, message, sent_at_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
                              "ON CONFLICT (dedupe_key) DO NOTHING",
                              "insert_notification_if_absent " + n.dedupe_key);
  if (!s) return s.error();
  s->bind(1, n.dedupe_key)
      .bind(2, null_if_empty(n.member_guid))
      .bind(3, null_if_empty(n.app_user_id))
      .bind(4, n.kind)
      .bind(5, n.message)
      .bind(6, to_unix_ms(n.sent_at));
  if (auto ran = s->run(); !ran) return ran.error();
  return db_.changes() > 0;
}

Result<bool> SqliteStore::release_notification(const std::string& dedupe_key) {
  Lock lock(mutex_);
  auto s = Statement::prepare(db_, "DELETE FROM notifications WHERE dedupe_key = ?1",
                              "release_notification " + dedupe_key);
  if (!s) return s.error();
  s->bind(1, dedupe_key);
  if (auto ran = s->run(); !ran) return ran.error();
  return db_.changes() > 0;
}

Result<std::optional<NotificationRecord>> SqliteStore::find_notification(
    const std::string& dedupe_key) {
  Lock lock(mutex_);
  auto s = Statement::prepare(
      db_, select_sql(kNotificationColumns, "notifications", "WHERE dedupe_key = ?1"),
      "find_notification");
  if (!s) return s.error();
  s->bind(1, dedupe_key);
  return read_one<NotificationRecord>(*s, read_notification);
}

Result<std::vector<NotificationRecord>> SqliteStore::list_notifications() {
  Lock lock(mutex_);
  auto s = Statement::prepare(
      db_, select_sql(kNotificationColumns, "notifications", "ORDER BY sent_at_ms, dedupe_key"),
      "list_notifications");
  if (!s) return s.error();
  return read_all<NotificationRecord>(*s, read_notification);
}

// --- webhook events ---------------------------------------------------------------------------

Result<bool> SqliteStore::insert_webhook_event_if_absent(const WebhookEventRecord& e) {
  Lock lock(mutex_);
  auto s = Statement::prepare(db_,
                              "INSERT INTO webhook_events (event_id, type, member_guid, payload, "
                              "received_at_ms) VALUES (?1, ?2, ?3, ?4, ?5) "
                              "ON CONFLICT (event_id) DO NOTHING",
                              "insert_webhook_event_if_absent " + e.event_id);
  if (!s) return s.error();
  s->bind(1, e.event_id)
      .bind(2, e.type)
      .bind(3, null_if_empty(e.member_guid))
      .bind(4, e.payload)
      .bind(5, to_unix_ms(e.received_at));
  if (auto ran = s->run(); !ran) return ran.error();
  return db_.changes() > 0;
}

Result<std::optional<WebhookEventRecord>> SqliteStore::find_webhook_event(
    const std::string& event_id) {
  Lock lock(mutex_);
  auto s =
      Statement::prepare(db_, select_sql(kWebhookColumns, "webhook_events", "WHERE event_id = ?1"),
                         "find_webhook_event");
  if (!s) return s.error();
  s->bind(1, event_id);
  return read_one<WebhookEventRecord>(*s, read_webhook);
}

Result<std::int64_t> SqliteStore::count_webhook_events() {
  Lock lock(mutex_);
  return db_.query_int("SELECT count(*) FROM webhook_events", "count_webhook_events");
}

Result<std::int64_t> SqliteStore::delete_webhook_events_before(TimePoint cutoff) {
  Lock lock(mutex_);
  auto s = Statement::prepare(db_, "DELETE FROM webhook_events WHERE received_at_ms < ?1",
                              "delete_webhook_events_before");
  if (!s) return s.error();
  s->bind(1, to_unix_ms(cutoff));
  if (auto ran = s->run(); !ran) return ran.error();
  return db_.changes();
}

// --- meta -------------------------------------------------------------------------------------

Result<std::optional<std::string>> SqliteStore::get_meta(const std::string& key) {
  Lock lock(mutex_);
  auto s = Statement::prepare(db_, "SELECT value FROM meta WHERE key = ?1", "get_meta " + key);
  if (!s) return s.error();
  s->bind(1, key);
  return read_one<std::string>(*s, [](const Statement& st) { return st.text(0); });
}

Status SqliteStore::set_meta(const std::string& key, const std::string& value) {
  Lock lock(mutex_);
  auto s = Statement::prepare(db_,
                              "INSERT INTO meta (key, value) VALUES (?1, ?2) "
                              "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                              "set_meta " + key);
  if (!s) return s.error();
  s->bind(1, key).bind(2, value);
  return s->run();
}

}  // namespace mxclient::sqlite
