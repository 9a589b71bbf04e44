/* Compile-only stub (ESP-IDF components/log/include/esp_log.h): ESP_LOGI as a
 * printf-format call, so -Wformat checks the host's arguments as IDF would. */
#pragma once
void esp_log_write_stub(const char *tag, const char *format, ...) __attribute__((format(printf, 2, 3)));
#define ESP_LOGI(tag, format, ...) esp_log_write_stub(tag, format, ##__VA_ARGS__)
