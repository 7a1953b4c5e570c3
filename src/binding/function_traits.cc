#include "binding/function_traits.h"

#include <array>

namespace m2mrsp::binding {
namespace {

template <size_t... I>
constexpr auto CallbackActions(std::index_sequence<I...>) {
  return std::array<std::string_view, sizeof...(I)>{
      (kIsCallback<std::variant_alternative_t<I, es::MessageVariant>>
           ? std::variant_alternative_t<I, es::MessageVariant>::kAction
           : std::string_view())...};
}

constexpr auto kCallbackActions =
    CallbackActions(std::make_index_sequence<std::variant_size_v<es::MessageVariant>>());

}  // namespace

bool IsCallbackAction(std::string_view action) {
  if (action.empty()) return false;
  for (std::string_view a : kCallbackActions) {
    if (a == action) return true;
  }
  return false;
}

}  // namespace m2mrsp::binding
