-- VK messages are now named by their conversation message id (what a press
-- on them carries) instead of their community-wide message id: a screen
-- remembered under the old id is forgotten, and the next one is sent anew.
UPDATE chat_state SET desk_message_id = NULL WHERE channel = 'vk';
