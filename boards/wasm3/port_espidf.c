/*
 * Platform layer for ESP-IDF (ESP32, ESP32-C3, ...): esp_fill_random,
 * esp_timer, ESP_LOG. Sockets come from lwIP (tlsrt_net.c, TLSRT_NET_LWIP=1).
 *
 * Entropy: esp_fill_random reads the hardware RNG. Espressif documents it
 * as a true random source only while the RF subsystem (Wi-Fi or Bluetooth)
 * is on, or after bootloader_random_enable(); otherwise its output is
 * pseudo-random. A TLS device normally has Wi-Fi up before it connects; a
 * firmware that runs TLS over another link must enable the entropy source.
 */
#include "tlsrt_port.h"

#include "esp_random.h"
#include "esp_timer.h"
#include "esp_log.h"

static const char *const TAG = "tlsrt";

void tlsrt_port_random(uint8_t *buf, size_t len) {
  esp_fill_random(buf, len);
}

uint64_t tlsrt_port_now_ms(void) {
  return (uint64_t)esp_timer_get_time() / 1000u;
}

void tlsrt_port_log(const char *msg, size_t len) {
  ESP_LOGI(TAG, "%.*s", (int)len, msg);
}
