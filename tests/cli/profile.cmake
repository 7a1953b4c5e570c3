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
  set(PROFILE_OUT ${CMAKE_CURRENT_BINARY_DIR}/profile_cli/personalised.der)
  file(MAKE_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR}/profile_cli)
  add_test(NAME app.profile_personalise_ts48
           COMMAND m2mrsp profile personalise ${TS48_PKG} -o ${PROFILE_OUT}
                   --iccid 8949449999999990031 --imsi 001010000012345
                   --k 465b5ce8b199b49faa5f0a2ee238a6bc --opc cd63cb71954a9f4e48a5994e37a02baf
                   --algorithm milenage
                   --ota-key 02:01:11111111111111112222222222222222)
  set_tests_properties(app.profile_personalise_ts48 PROPERTIES FIXTURES_SETUP profile_cli
    PASS_REGULAR_EXPRESSION "wrote .*personalised.der \\(30 elements\\)"
    FAIL_REGULAR_EXPRESSION "465b5ce8")
  add_test(NAME app.profile_show_personalised COMMAND m2mrsp profile show ${PROFILE_OUT})
  set_tests_properties(app.profile_show_personalised PROPERTIES FIXTURES_REQUIRED profile_cli
    PASS_REGULAR_EXPRESSION "iccid: 8949449999999990031\nimsi: 001010000012345\n.*milenage.*valid: yes"
    FAIL_REGULAR_EXPRESSION "465b5ce8")

  add_test(NAME app.profile_personalise_bad_imsi
           COMMAND m2mrsp profile personalise ${TS48_PKG} -o ${PROFILE_OUT}.bad --imsi 12345)
  set_tests_properties(app.profile_personalise_bad_imsi PROPERTIES WILL_FAIL TRUE)
  add_test(NAME app.profile_personalise_bad_ota_key
           COMMAND m2mrsp profile personalise ${TS48_PKG} -o ${PROFILE_OUT}.bad
                   --ota-key 07:01:11111111111111112222222222222222)
  set_tests_properties(app.profile_personalise_bad_ota_key PROPERTIES WILL_FAIL TRUE)
endif()

# Input that is not a profile package: one line on stderr, exit 1.
add_test(NAME app.profile_show_garbage
         COMMAND m2mrsp profile show ${PROJECT_SOURCE_DIR}/tests/vectors/README.md)
set_tests_properties(app.profile_show_garbage PROPERTIES WILL_FAIL TRUE)
add_test(NAME app.profile_show_missing COMMAND m2mrsp profile show /nonexistent/profile.der)
set_tests_properties(app.profile_show_missing PROPERTIES WILL_FAIL TRUE)
