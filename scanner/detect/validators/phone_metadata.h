// libphonenumber's serialized metadata collection (a PhoneMetadataCollection protobuf): the
// phone validator (phone_validity.cpp) reads the regions' patterns from it, and tests read the
// same bytes to compare with it.
//
// libphonenumber exports these two functions but does not install the header that declares
// them (metadata.h), so they are declared here, once.
#pragma once

namespace i18n::phonenumbers {
int metadata_size();
const void* metadata_get();
}  // namespace i18n::phonenumbers
