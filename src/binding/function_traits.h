// Compile-time facts about the ES messages that the binding dispatches on: the response type of
// a request (ResponseOf<Req>: "ES3-CreateISDPRequest" → the es::Message alternative whose element
// is "ES3-CreateISDPResponse"), and whether a message is a request, a response, a notification
// or the callback of an asynchronous function (es-messages.md §2.4). Header-only; no state.
#pragma once

#include <cstddef>
#include <string_view>
#include <type_traits>
#include <variant>

#include "es/messages.h"

namespace m2mrsp::binding {

// "X…Request" and "X…Response" with the same X.
constexpr bool IsResponseElementOf(std::string_view request, std::string_view response) {
  constexpr std::string_view kReq = "Request";
  constexpr std::string_view kResp = "Response";
  if (!request.ends_with(kReq) || !response.ends_with(kResp)) return false;
  return request.substr(0, request.size() - kReq.size()) ==
         response.substr(0, response.size() - kResp.size());
}

template <typename Req, size_t I = 0>
constexpr size_t ResponseIndex() {
  if constexpr (I == std::variant_size_v<es::MessageVariant>) {
    return I;
  } else {
    using M = std::variant_alternative_t<I, es::MessageVariant>;
    if constexpr (IsResponseElementOf(Req::kElement, M::kElement)) {
      return I;
    } else {
      return ResponseIndex<Req, I + 1>();
    }
  }
}

template <typename M>
inline constexpr bool kIsRequest = std::is_base_of_v<es::BaseRequest, M>;
template <typename M>
inline constexpr bool kIsResponse = std::is_base_of_v<es::BaseResponse, M>;
template <typename M>
inline constexpr bool kIsNotification = M::kExchange == soap::Exchange::kNotification;
// The response of an asynchronous function travels as a one-way "…CallBack" request.
template <typename M>
inline constexpr bool kIsCallback = kIsResponse<M>&& M::kExchange == soap::Exchange::kAsynchronous;

template <typename Req>
requires kIsRequest<Req>
using ResponseOf = std::variant_alternative_t<ResponseIndex<Req>(), es::MessageVariant>;

// True when `action` is the callback Action of an asynchronous function's response.
bool IsCallbackAction(std::string_view action);

}  // namespace m2mrsp::binding
