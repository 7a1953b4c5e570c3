# `m2mrsp profile show|personalise` on the GSMA TS.48 v7 packages in ../shared (never copied into
# the repository; the tests exist only where that folder does).
set(TS48_DIR ${PROJECT_SOURCE_DIR}/../shared/testdata/ts48)
set(TS48_PKG ${TS48_DIR}/ts48v7_SAIP2.3_NoBERTLV.der)
if(EXISTS ${TS48_PKG})
  add_test(NAME app.profile_show_ts48 COMMAND m2mrsp profile show ${TS48_PKG})
  set_tests_properties(app.profile_show_ts48 PROPERTIES
    PASS_REGULAR_EXPRESSION "elements: 30\n  0 header \\(a0, 160 bytes\\)\n  1 mf .*iccid: 89000123456789012341\nimsi: 001010123456789\n.*usim-test-algorithm, K <16 bytes>, OPc <16 bytes>.*valid: yes"
    FAIL_REGULAR_EXPRESSION "000102030405060708090a0b0c0d0e0f")
  add_test(NAME app.profile_show_ts48_json COMMAND m2mrsp profile show --json ${TS48_PKG})
  set_tests_properties(app.profile_show_ts48_json PROPERTIES
    PASS_REGULAR_EXPRESSION "\"iccid\":\"89000123456789012341\".*\"imsi\":\"001010123456789\""
    FAIL_REGULAR_EXPRESSION "000102030405060708090a0b0c0d0e0f")

  # Personalise with TS 35.208 set 1 K/OPc, pySim's unique TS.48 ICCID, then show the result.
  # Keys come from a key file of mode 0600 (never from the command line); the output is 0600.
  set(PROFILE_OUT ${CMAKE_CURRENT_BINARY_DIR}/profile_cli/personalised.der)
  set(PROFILE_KEYS ${CMAKE_CURRENT_BINARY_DIR}/profile_cli/keys.txt)
  set(PROFILE_KEYS_OPEN ${CMAKE_CURRENT_BINARY_DIR}/profile_cli/keys-0644.txt)
  file(MAKE_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR}/profile_cli)
  set(profile_keys_text "# TS 35.208 test set 1\nk = 465b5ce8b199b49faa5f0a2ee238a6bc\n"
      "opc = cd63cb71954a9f4e48a5994e37a02baf   # OPc\n\n"
      "ota = 02:01:11111111111111112222222222222222\n")
  file(WRITE ${PROFILE_KEYS} ${profile_keys_text})
  file(CHMOD ${PROFILE_KEYS} PERMISSIONS OWNER_READ OWNER_WRITE)
  file(WRITE ${PROFILE_KEYS_OPEN} ${profile_keys_text})
  file(CHMOD ${PROFILE_KEYS_OPEN} PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)
  add_test(NAME app.profile_personalise_ts48
           COMMAND m2mrsp profile personalise ${TS48_PKG} -o ${PROFILE_OUT}
                   --iccid 8949449999999990031 --imsi 001010000012345 --keys ${PROFILE_KEYS}
                   --algorithm milenage)
  set_tests_properties(app.profile_personalise_ts48 PROPERTIES FIXTURES_SETUP profile_cli
    PASS_REGULAR_EXPRESSION "wrote .*personalised.der \\(30 elements, mode 0600\\)"
    FAIL_REGULAR_EXPRESSION "465b5ce8")
  add_test(NAME app.profile_show_personalised COMMAND m2mrsp profile show ${PROFILE_OUT})
  set_tests_properties(app.profile_show_personalised PROPERTIES FIXTURES_REQUIRED profile_cli
    PASS_REGULAR_EXPRESSION "iccid: 8949449999999990031\nimsi: 001010000012345\n.*milenage.*valid: yes"
    FAIL_REGULAR_EXPRESSION "465b5ce8")
  # Written atomically with mode 0600, also over an existing world-readable file.
  add_test(NAME app.profile_personalise_mode_0600
           COMMAND sh -c "out='${PROFILE_OUT}.mode' && rm -f \"$out\" && touch \"$out\" && chmod 644 \"$out\" && '$<TARGET_FILE:m2mrsp>' profile personalise '${TS48_PKG}' -o \"$out\" --keys '${PROFILE_KEYS}' && test \"$(stat -c %a \"$out\")\" = 600")
  # The key file from stdin ('-'): same result as the file.
  add_test(NAME app.profile_personalise_keys_stdin
           COMMAND sh -c "'$<TARGET_FILE:m2mrsp>' profile personalise '${TS48_PKG}' -o '${PROFILE_OUT}.stdin' --keys - < '${PROFILE_KEYS}' && '$<TARGET_FILE:m2mrsp>' profile show '${PROFILE_OUT}.stdin'")
  set_tests_properties(app.profile_personalise_keys_stdin PROPERTIES
    PASS_REGULAR_EXPRESSION "usim-test-algorithm, K <16 bytes>.*key 2:1 type 88 usage [0-9a-f]+ <16 bytes>"
    FAIL_REGULAR_EXPRESSION "465b5ce8")
  # A key file others can read is refused (like ssh), naming its mode.
  add_test(NAME app.profile_personalise_keys_too_open
           COMMAND m2mrsp profile personalise ${TS48_PKG} -o ${PROFILE_OUT}.open
                   --keys ${PROFILE_KEYS_OPEN})
  set_tests_properties(app.profile_personalise_keys_too_open PROPERTIES
    PASS_REGULAR_EXPRESSION "permissions 0644 are too open")
  # Keys are no longer command-line options.
  add_test(NAME app.profile_personalise_no_key_arguments
           COMMAND m2mrsp profile personalise ${TS48_PKG} -o ${PROFILE_OUT}.bad
                   --k 465b5ce8b199b49faa5f0a2ee238a6bc)
  set_tests_properties(app.profile_personalise_no_key_arguments PROPERTIES WILL_FAIL TRUE)

  add_test(NAME app.profile_personalise_bad_imsi
           COMMAND m2mrsp profile personalise ${TS48_PKG} -o ${PROFILE_OUT}.bad --imsi 12345)
  set_tests_properties(app.profile_personalise_bad_imsi PROPERTIES WILL_FAIL TRUE)
  set(PROFILE_KEYS_BAD_OTA ${CMAKE_CURRENT_BINARY_DIR}/profile_cli/keys-bad-ota.txt)
  file(WRITE ${PROFILE_KEYS_BAD_OTA} "ota = 07:01:11111111111111112222222222222222\n")
  file(CHMOD ${PROFILE_KEYS_BAD_OTA} PERMISSIONS OWNER_READ OWNER_WRITE)
  add_test(NAME app.profile_personalise_bad_ota_key
           COMMAND m2mrsp profile personalise ${TS48_PKG} -o ${PROFILE_OUT}.bad
                   --keys ${PROFILE_KEYS_BAD_OTA})
  set_tests_properties(app.profile_personalise_bad_ota_key PROPERTIES WILL_FAIL TRUE)
  # A malformed key file names the line, never the value.
  set(PROFILE_KEYS_BAD_HEX ${CMAKE_CURRENT_BINARY_DIR}/profile_cli/keys-bad-hex.txt)
  file(WRITE ${PROFILE_KEYS_BAD_HEX} "# comment\nk = 465b5ce8b199b49faa5f0a2ee238a6bZ\n")
  file(CHMOD ${PROFILE_KEYS_BAD_HEX} PERMISSIONS OWNER_READ OWNER_WRITE)
  add_test(NAME app.profile_personalise_bad_key_file
           COMMAND m2mrsp profile personalise ${TS48_PKG} -o ${PROFILE_OUT}.bad
                   --keys ${PROFILE_KEYS_BAD_HEX})
  set_tests_properties(app.profile_personalise_bad_key_file PROPERTIES
    PASS_REGULAR_EXPRESSION "keys-bad-hex.txt: line 2: the key is not valid hex"
    FAIL_REGULAR_EXPRESSION "465b5ce8")
endif()

# Input that is not a profile package: one line on stderr, exit 1.
add_test(NAME app.profile_show_garbage
         COMMAND m2mrsp profile show ${PROJECT_SOURCE_DIR}/tests/vectors/README.md)
set_tests_properties(app.profile_show_garbage PROPERTIES WILL_FAIL TRUE)
add_test(NAME app.profile_show_missing COMMAND m2mrsp profile show /nonexistent/profile.der)
set_tests_properties(app.profile_show_missing PROPERTIES WILL_FAIL TRUE)

# Hostile text and long tags in `profile show`: a profileType with ESC/BEL is escaped, a
# ProfileElement with the 3-byte tag BF 81 01 prints as such. The package is written by python3
# (independent of our encoder) at test time.
find_package(Python3 COMPONENTS Interpreter)
if(Python3_Interpreter_FOUND)
  set(profile_hostile_py ${CMAKE_CURRENT_BINARY_DIR}/profile_cli/hostile.py)
  set(profile_hostile_der ${CMAKE_CURRENT_BINARY_DIR}/profile_cli/hostile.der)
  file(MAKE_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR}/profile_cli)
  file(WRITE ${profile_hostile_py} [=[
import sys
def tlv(tag, value):
    return bytes(tag) + bytes([len(value)]) + value
profile_type = b'x' + bytes([27]) + b'[31mred' + bytes([7])
header = (tlv([0x80], b'\x02') + tlv([0x81], b'\x03') + tlv([0x82], profile_type) +
          tlv([0x83], bytes.fromhex('89000123456789012341')) + tlv([0xA5], b'') + tlv([0xA6], b''))
package = tlv([0xA0], header) + tlv([0xBF, 0x81, 0x01], tlv([0xA0], tlv([0x81], b'\x01')))
open(sys.argv[1], 'wb').write(package)
]=])
  add_test(NAME app.profile_show_hostile_text
           COMMAND sh -c "'${Python3_EXECUTABLE}' '${profile_hostile_py}' '${profile_hostile_der}' && '$<TARGET_FILE:m2mrsp>' profile show '${profile_hostile_der}'")
  set_tests_properties(app.profile_show_hostile_text PROPERTIES
    PASS_REGULAR_EXPRESSION "  1 unknown \\(bf8101, 9 bytes\\).*profile_type: x\\\\x1b\\[31mred\\\\x07\n"
    FAIL_REGULAR_EXPRESSION "\\(bf81, ")
endif()
